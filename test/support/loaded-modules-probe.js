// Preloaded into a built app (NODE_OPTIONS=--require ...): on SIGUSR2 the process
// writes the files in its require cache as one line, so a test can see what it loaded.
process.on('SIGUSR2', () => {
  process.stdout.write(`loaded-modules ${JSON.stringify(Object.keys(require.cache))}\n`);
});
