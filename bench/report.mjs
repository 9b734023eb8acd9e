// Figures of a run: medians and spreads of the rounds, the ratios against their targets,
// bench/results.json and the markdown table (the one docs/performance.md carries).
import { writeFileSync } from 'node:fs';
import os from 'node:os';

export function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (n, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** One side's rounds reduced to the median and spread of req/s and the median p50/p99. */
export function summarize(rounds) {
  const rps = rounds.map((r) => r.rps);
  const perCpu = rounds.map((r) => r.requestsPerCpuSecond).filter((n) => n !== undefined);
  return {
    rps: { median: round(median(rps)), min: round(Math.min(...rps)), max: round(Math.max(...rps)) },
    ...(perCpu.length === rounds.length ? { requestsPerCpuSecond: round(median(perCpu)) } : {}),
    p50Ms: round(median(rounds.map((r) => r.p50Ms)), 2),
    p99Ms: round(median(rounds.map((r) => r.p99Ms)), 2),
    rounds,
  };
}

export const ratio = (a, b) => round(a / b, 2);

export function writeResults(file, { settings, results, rss }) {
  const report = {
    ranAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      kernel: os.release(),
      loadAverageAtEnd: os.loadavg().map((n) => round(n, 2)),
    },
    settings,
    rss,
    results,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

const num = (n) => Math.round(n).toLocaleString('en');
const rpsCell = (s) => `${num(s.rps.median)} (${num(s.rps.min)}–${num(s.rps.max)})`;
const yesNo = (ok) => (ok ? 'yes' : '**no**');
const perCpu = (a, b, r) => (a.requestsPerCpuSecond === undefined ? '–' : `${num(a.requestsPerCpuSecond)} / ${num(b.requestsPerCpuSecond)} (${r})`);

/** The markdown table: one line per comparison, then the RSS line. */
export function renderTable({ results, rss }) {
  const lines = [
    '| scenario | API req/s median (min–max) | reference req/s median (min–max) | ratio (target) | p50 ms API / ref | p99 ms API / ref (ratio, target <= 2) | met | req per server CPU-s API / ref (ratio) | API RSS after |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    if (r.kind === 'failed') {
      lines.push(`| (${r.scenario}) ${r.name} | **FAILED**: ${r.error.replaceAll('|', '/')} | | | | | | | ${r.rssAfterMb ?? ''} |`);
    } else if (r.kind === 'throughput') {
      const { api, reference } = r.sides;
      lines.push(
        `| (${r.scenario}) ${r.name}${r.conflicts ? ` (409s: API ${num(r.conflicts.api)}, ref ${num(r.conflicts.reference)})` : ''} | ${rpsCell(api)} | ${rpsCell(reference)} | ${r.ratio} (>= ${r.target}) | ${api.p50Ms} / ${reference.p50Ms} | ${api.p99Ms} / ${reference.p99Ms} (${r.p99Ratio}) | ratio ${yesNo(r.met.ratio)}, p99 ${yesNo(r.met.p99)} | ${perCpu(api, reference, r.perCpuRatio)} | ${r.rssAfterMb} MB |`,
      );
      if (r.floor) {
        const { bareNest, bareFastify } = r.floor.sides;
        lines.push(
          `| (${r.scenario}) API vs bare NestJS 12 + platform-fastify, same run | ${rpsCell(api)} | ${rpsCell(bareNest)} (bare NestJS) | ${r.floor.apiVsBareNest} (>= ${r.floor.target}) | ${api.p50Ms} / ${bareNest.p50Ms} | ${api.p99Ms} / ${bareNest.p99Ms} | ${yesNo(r.floor.met)} | ${perCpu(api, bareNest, r.floor.apiVsBareNestPerCpu)} | |`,
          `| framework floor: bare NestJS vs bare Fastify, same run | ${rpsCell(bareNest)} (bare NestJS) | ${rpsCell(bareFastify)} (bare Fastify) | ${r.floor.nestVsFastify} (reported) | ${bareNest.p50Ms} / ${bareFastify.p50Ms} | ${bareNest.p99Ms} / ${bareFastify.p99Ms} | – | ${perCpu(bareNest, bareFastify, r.floor.nestVsFastifyPerCpu)} | |`,
        );
      }
    } else if (r.scenario === 'f') {
      lines.push(
        `| (f) ${r.name} | ${rpsCell(r.api)} | at most ${num(r.reference.rps)} (aggregate ${r.reference.aggregateMs} ms per run, 10 connections) | ${r.ratio} (>= ${r.target}) | ${r.api.p50Ms} / – | ${r.api.p99Ms} / – | ${yesNo(r.met)} | ${r.api.requestsPerCpuSecond === undefined ? '–' : num(r.api.requestsPerCpuSecond)} / – | ${r.rssAfterMb} MB |`,
      );
    } else if (r.scenario === 'g') {
      lines.push(
        `| (g) ${r.name} | ${num(r.api.wallMs)} ms, ${num(r.api.rowsPerSecond)} rows/s | psql \\copy ${num(r.reference.wallMs)} ms | ${r.ratio}x wall (<= ${r.target.wallRatio}) | – | – | wall ${yesNo(r.met.wall)}, RSS +${r.api.rssGrowthMb} MB (<= ${r.target.rssGrowthMb}) ${yesNo(r.met.rss)} | – | ${r.api.idleRssMb} -> peak ${r.api.peakRssMb} MB |`,
      );
    } else if (r.scenario === 'h') {
      lines.push(
        `| (h) ${r.name} | ${rpsCell(r.sides.twoWorkers)} (2 workers) | ${rpsCell(r.sides.oneWorker)} (1 worker) | ${r.ratio} (no target) | ${r.sides.twoWorkers.p50Ms} / ${r.sides.oneWorker.p50Ms} | ${r.sides.twoWorkers.p99Ms} / ${r.sides.oneWorker.p99Ms} | – | – | |`,
      );
    }
  }
  lines.push(
    '',
    startLine(rss),
  );
  return lines.join('\n');
}

/** The start target is read on a process that has served nothing (the fresh one of (g)) when there is one. */
function startLine(rss) {
  const start = rss.freshStartMb ?? rss.startMb;
  const which = rss.freshStartMb === undefined ? 'after the set-up (admin created, a customer registered)' : 'at start (a fresh process, ready and idle 2 s)';
  return (
    `API RSS ${which}: ${start} MB (target <= 150: ${yesNo(start <= 150)}); after the set-up (the password-strength worker alive): ${rss.startMb} MB; ` +
    `highest after a request scenario: ${rss.maxAfterLoadMb} MB (target <= 300: ${yesNo(rss.maxAfterLoadMb <= 300)}). (g) runs on that fresh process.`
  );
}
