// `pnpm bench`: runs every benchmark and prints one JSON line per figure
// ({"name","value","unit","target","ok"}), then a table. Benchmarks are added per area.
const benches = [];
if (!benches.length) console.log('no benchmarks yet');
