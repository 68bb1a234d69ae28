// Preloaded into a process by bench/members.ts (`node --import <this file> …`): when the process
// exits, writes its peak resident set size (getrusage(RUSAGE_SELF).ru_maxrss: all of its threads,
// worker threads included; in kilobytes) to stderr as one line `BENCH_MAXRSS_KB=<n>`.
// Changes nothing else in the process.
process.on('exit', () => {
  try {
    process.stderr.write(`\nBENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`)
  } catch {
    // stderr closed: nothing to report to
  }
})
