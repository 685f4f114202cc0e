import type { Command } from 'commander';
import { parseBackendPreference } from '../../../common/backend/index.ts';
import { DATASET_SOURCE_HELP } from '../../../common/data/index.ts';
import { resolveFuseRequest, runFuse, type FuseFlags } from '../fuse/index.ts';
import { collect } from './option-parsers.ts';

export function registerFuseCommand(program: Command): void {
  program
    .command('fuse')
    .summary('fuse TF.js models into one, offline (KF-linear, HF, FedAvg, average)')
    .description(
      'Fuses trained TF.js Layers models (model.json + weights, from fedfuse or any tfjs/Keras Sequential model of ' +
        'Dense, Conv2D, MaxPooling2D and Flatten layers) into one model and writes it as a TF.js Layers model. ' +
        'All models need the same layer structure; kf-linear also fuses models whose hidden widths differ. ' +
        'kf-linear and hf need a calibration set of unlabelled inputs (a few hundred samples); fedavg and average ' +
        'only mix parameters and need none. With --eval it prints the accuracy of every parent, of the fused model ' +
        'and of the ensemble of the parents (their averaged softmax). Input mistakes print one line and exit 2.\n\n' +
        'Keep the calibration and evaluation samples apart from each other and from the data the models were ' +
        'trained on, or the accuracies flatter the fusion. Example, for models trained on the first 8,000 embedded ' +
        'digits (mnist:0-8000):\n' +
        '  fedfuse fuse --model a/model.json --model b/model.json --model c/model.json \\\n' +
        '    --calibration mnist:8000-8400 --method kf-linear --out fused/ --eval mnist:9000-10000',
    )
    .option('--model <model.json>', 'a parent model: its model.json, or the folder holding it; repeat once per model (at least 1; parent 0 first)', collect)
    .option('--calibration <source>', `unlabelled inputs for kf-linear, kf-gradient and hf: ${DATASET_SOURCE_HELP}`)
    .option('--method <name>', 'kf-linear (k-means neuron fusion, any number of models) | kf-gradient (kf-linear\'s grouping, relu levels trained toward their post-relu targets and the head distilled, held-out early stopping) | hf (Hungarian pairs, exactly 2 models of equal widths) | fedavg (parameter mean weighted by --examples) | average (plain parameter mean) | ot-fusion (baseline: OT fusion, Singh & Jaggi 2020: channels transported onto parent 0\'s by their activations on --calibration, then averaged) | weight-matching (baseline: Git Re-Basin\'s weight matching, Ainsworth et al. 2023: channels permuted onto parent 0\'s by their weights, then averaged; no data needed) (default kf-linear)')
    .option('--importance <source>', 'neuron importance the clustering weighs by, kf-linear, kf-gradient and hf only: uniform | activation (mean |pre-activation| on the calibration set) (default uniform)')
    .option(
      '--neuron-fusion <settings>',
      'kf-linear, kf-gradient and hf only: paper (the published method, for models trained independently, as models from disk typically are) | ' +
        'federated (settings for parents that started from one shared model, as in a federated round: class consensus of the output layer, ' +
        'aligned ridge prior, index-started k-means, FedAvg-scaled logits (needs --examples), class-prior matching; docs/federated-fusion.md) (default paper)',
    )
    .option('--widths <w[,w...]>', 'hidden widths of the fused model, one per hidden Dense/Conv2D layer; kf-linear and kf-gradient may differ from the models\' own (default: parent 0\'s widths)')
    .option('--seed <n>', 'seed of the k-means initialisation and of conv row sampling; same inputs and seed give the same model (default 0)')
    .option('--examples <n,n,...>', 'training examples behind each model, in --model order: fedavg\'s weights (default: equal); with --neuron-fusion federated, the FedAvg logit-scale reference and class evidence of kf-linear and hf (without it the logits are not rescaled)')
    .option('--out <dir>', 'folder to write the fused model.json and weights.bin to (created if missing; existing files are replaced)')
    .option('--eval <source>', `labelled samples to measure accuracy on: ${DATASET_SOURCE_HELP}; a bare images .npy file needs --eval-labels`)
    .option('--eval-labels <labels.npy>', 'integer class labels (uint8, int32 or int64) of the --eval images .npy file')
    .option('--report <file>', 'also write the fusion report (per layer: widths, least-squares size, k-means cost and iterations, timings) as JSON')
    .action(async (flags: FuseFlags, command: Command) => {
      const request = resolveFuseRequest(flags);
      const backend = parseBackendPreference(command.optsWithGlobals<{ backend: string }>().backend);
      await runFuse(request, backend, (line) => process.stdout.write(`${line}\n`));
    });
}
