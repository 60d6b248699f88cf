// The parts of newman's node API (newman has no type declarations) that conformance.ts uses.
declare module 'newman' {
  interface Assertion {
    assertion: string;
    error?: { message: string };
  }
  interface Execution {
    item: { name: string };
    assertions?: Assertion[];
  }
  export interface NewmanSummary {
    run: {
      stats: { assertions: { total: number; failed: number }; requests: { total: number; failed: number } };
      executions: Execution[];
      failures: { error: { message: string; test?: string }; source?: { name?: string } }[];
    };
  }
  export function run(
    options: { collection: string; envVar?: { key: string; value: string }[]; reporters?: string[] },
    callback: (err: Error | null, summary: NewmanSummary) => void,
  ): void;
}
