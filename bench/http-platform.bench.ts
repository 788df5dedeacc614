/**
 * HTTP platform benchmark (issue 9): CPU per request of the same Nest route on Express (what the
 * gateway runs) and on Fastify, each in a process of its own (bench/http-platform/platform-app.ts),
 * driven from this process over keep-alive connections. Results in docs/BENCHMARKS.md.
 *
 *   npm run bench:http        # HTTP_BENCH_REQUESTS (20000) per platform, HTTP_BENCH_CONCURRENCY (8)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { freePorts } from '../test/support/free-port';
import { log, machine, round, runBenchmark, writeResult } from './support/bench-report';
import { sample } from './support/process-sample';

const REQUESTS = Number(process.env.HTTP_BENCH_REQUESTS ?? 20_000);
const CONCURRENCY = Number(process.env.HTTP_BENCH_CONCURRENCY ?? 8);
const WARMUP = 2_000;
const BODY = JSON.stringify({ to: '6281234567890', message: 'Halo dari API' });

async function measure(platform: 'express' | 'fastify') {
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, [join(__dirname, 'http-platform/platform-app.js'), platform, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${platform} app exited with ${code}`)));
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    });
    const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });
    const run = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < count) {
            const response = await request(`http://127.0.0.1:${port}/agents/s1/messages`, {
              method: 'POST',
              dispatcher: agent,
              body: BODY,
              headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
            });
            await response.body.text();
            if (response.statusCode !== 201) throw new Error(`${platform} answered ${response.statusCode}`);
          }
        }),
      );
    };
    await run(WARMUP);
    const before = sample(child.pid!);
    const started = performance.now();
    await run(REQUESTS);
    const seconds = (performance.now() - started) / 1000;
    const after = sample(child.pid!);
    await agent.close();
    const cpuMs = (after.cpuSeconds - before.cpuSeconds) * 1000;
    const result = {
      requests: REQUESTS,
      requestsPerSecond: round(REQUESTS / seconds, 0),
      cpuMsPerRequest: round(cpuMs / REQUESTS, 4),
      rssMiB: round(after.rssMiB, 1),
    };
    log(`${platform}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    child.kill('SIGKILL');
  }
}

runBenchmark(async () => {
  const host = machine();
  const express = await measure('express');
  const fastify = await measure('fastify');
  const date = new Date().toISOString().slice(0, 10);
  writeResult(`http-platform-${date}`, {
    machine: host,
    route: 'POST /agents/:id/messages: guard on a header, whitelisting ValidationPipe, JSON answer',
    concurrency: CONCURRENCY,
    express,
    fastify,
    fastifySavesMsPerRequest: round(express.cpuMsPerRequest - fastify.cpuMsPerRequest, 4),
  });
});
