// The part of autocannon's API the load campaign and its test use (it ships no types).
declare module 'autocannon' {
  interface Histogram { average: number; p50: number; p99: number; total: number }
  interface Result { requests: Histogram; latency: Histogram; errors: number; timeouts: number; non2xx: number }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    requests?: Array<{ setupRequest?: (req: { path: string }) => { path: string } }>;
  }
  export default function autocannon(options: Options): Promise<Result>;
}
