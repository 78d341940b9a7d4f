// The CLI is bundled into dist/apps/cli/main.js. A rebuild's worker thread (`rebuild-projections`)
// gets a bundle of its own beside it, projection-rebuild.worker.js, where the read models look for
// it: it loads only what reading and folding the log need (about a quarter of a second), not the
// whole CLI with NestJS (about a second).
const { dirname, join } = require('node:path');

module.exports = (options) => ({
  ...options,
  entry: {
    main: options.entry,
    'projection-rebuild.worker': join(__dirname, '../../libs/read-models/src/projection/projection-rebuild.worker.ts'),
  },
  // The default names the one file `apps/cli/main.js` (under dist/): each entry goes beside it.
  output: { ...options.output, filename: join(dirname(options.output.filename), '[name].js') },
});
