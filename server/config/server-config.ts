import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { FedfuseError } from '../../common/errors/index.ts';
import { resolveScreeningOptions, type ScreeningOptions } from '../screening/index.ts';
import { configFileLayer, flagLayer, objectLayer, resolveOptions, type OptionLayer, type OptionValues } from './option-table.ts';
import { SERVER_OPTIONS } from './server-options.ts';

/**
 * Everything `fedfuse server` can be told, resolved and checked: one field per
 * entry of SERVER_OPTIONS (server-options.ts), where each is documented with its
 * default. Flags win over the config file, the file over environment variables,
 * those over the defaults.
 */
export type ServerConfig = OptionValues<typeof SERVER_OPTIONS>;

/** Where `fedfuse server`'s options come from. */
export interface ServerConfigSources {
  /** JSON or YAML file (`--config`). */
  readonly configFile?: string;
  /** The flags as commander parsed them (strings), keyed like the table. */
  readonly flags?: Readonly<Record<string, unknown>>;
  readonly env?: NodeJS.ProcessEnv;
  /** Where deprecation lines go. */
  readonly warn?: (line: string) => void;
}

/** The command line's config: defaults < env < file < flags, each value checked where it came from. */
export function serverConfigFrom(sources: ServerConfigSources): ServerConfig {
  return explicitServerConfig(sources).config;
}

/** The config, and where each option the user set (a flag or a config-file key) was set, by key. */
export interface ExplicitServerConfig {
  readonly config: ServerConfig;
  readonly setBy: ReadonlyMap<keyof ServerConfig, string>;
}

export function explicitServerConfig(sources: ServerConfigSources): ExplicitServerConfig {
  const layers: OptionLayer[] = [];
  if (sources.configFile !== undefined) layers.push(readConfigFile(sources.configFile, sources.warn ?? (() => {})));
  if (sources.flags !== undefined) layers.push(flagLayer(withoutUndefined(sources.flags)));
  const setBy = new Map<keyof ServerConfig, string>();
  for (const layer of layers) for (const key of Object.keys(layer.values)) setBy.set(key as keyof ServerConfig, layer.nameOf(key));
  return { config: finish(resolveOptions(SERVER_OPTIONS, layers, sources.env)), setBy };
}

/** For code and tests: typed partial configs, later ones winning (messages say `option <key>`). */
export function resolveServerConfig(...layers: Partial<ServerConfig>[]): ServerConfig {
  return finish(resolveOptions(SERVER_OPTIONS, layers.map((l) => objectLayer(withoutUndefined(l)))));
}

/** Reads a JSON or YAML config file as one layer of options (deprecated keys renamed with a `warn` line). */
export function readConfigFile(path: string, warn: (line: string) => void): OptionLayer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FedfuseError('invalid_argument', `cannot read config file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const detail = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new FedfuseError('invalid_argument', `config file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${detail}`);
  }
  if (parsed === null || parsed === undefined) return { values: {}, nameOf: (k) => k };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new FedfuseError('invalid_argument', `config file ${path} must hold a mapping of option names to values`);
  return configFileLayer(SERVER_OPTIONS, path, parsed as Record<string, unknown>, warn);
}

/** Checks that span several options (each option alone was checked by its parser). */
function finish(c: ServerConfig): ServerConfig {
  screeningOptionsOf(c);
  return c;
}

/** Where each screening option lives in the server config. */
const SCREENING_CONFIG_KEYS = {
  enabled: 'screening',
  samples: 'screeningSamples',
  maxDistanceToGlobalNorm: 'screeningMaxDistanceToGlobal',
  maxDistanceRatio: 'screeningMaxDistanceRatio',
  maxDistanceZ: 'screeningMaxDistanceZ',
  minUpdatesForRelative: 'screeningMinUpdates',
  minAgreement: 'screeningMinAgreement',
} as const satisfies Record<keyof ScreeningOptions, keyof ServerConfig>;

/** The screening options a config asks for, checked (errors name the config key). */
export function screeningOptionsOf(c: ServerConfig): ScreeningOptions {
  return resolveScreeningOptions(
    {
      enabled: c.screening,
      samples: c.screeningSamples,
      maxDistanceToGlobalNorm: c.screeningMaxDistanceToGlobal,
      maxDistanceRatio: c.screeningMaxDistanceRatio,
      maxDistanceZ: c.screeningMaxDistanceZ,
      minUpdatesForRelative: c.screeningMinUpdates,
      minAgreement: c.screeningMinAgreement,
    },
    (key) => `option ${SCREENING_CONFIG_KEYS[key]}`,
  );
}

function withoutUndefined(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
