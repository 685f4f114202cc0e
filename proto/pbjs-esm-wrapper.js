// pbjs wrapper for Node ESM. The stock "es6" wrapper does
// `import * as $protobuf`, which under Node's CommonJS interop yields a
// namespace without `roots`/`Reader`; protobufjs/minimal is CommonJS, so its
// exports object is the default import.
import $protobuf from $DEPENDENCY;

$OUTPUT;

export { $root as default };
