import { defineConfig } from "vitest/config";

// Two suites. `npm test` is the everyday one and stays under 5 minutes on an
// idle 2-core machine. `npm run test:slow` (WEFT_TEST_SUITE=slow) holds what
// cannot: crash tests that kill and restart real node processes at every
// injected fault, and deep fuzzing (10,000 generated cases). `.ci/run` always
// runs both, so nothing here is optional for a change to land.
const SLOW_SUITES = ["test/lifecycle/outbox.test.ts", "test/fuzz/**/*.test.ts"];
const slow = process.env.WEFT_TEST_SUITE === "slow";

// Every test that touches the database runs once per driver: the "pglite"
// project always, the "postgres" project when TEST_DATABASE_URL is set.
// Pure unit tests (test/unit) run once, in the everyday suite.
const databaseTests = slow
  ? { include: SLOW_SUITES }
  : { include: ["test/**/*.test.ts"], exclude: ["test/unit/**", ...SLOW_SUITES] };

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/setup.ts"],
    // Generous limits: tests wait on state or events and end as soon as it
    // is there, so the limits only matter on a machine busy with other work.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
    // A test that asserts nothing fails: it cannot pass by accident.
    expect: { requireAssertions: true },
    // .ci/run asks for a JSON report too, to print one summary line at the end.
    reporters: process.env.WEFT_TEST_REPORT
      ? ["default", ["json", { outputFile: process.env.WEFT_TEST_REPORT }]]
      : ["default"],
    projects: [
      ...(slow ? [] : [{ extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } }]),
      { extends: true, test: { name: "pglite", ...databaseTests, env: { WEFT_TEST_DRIVER: "pglite" } } },
      ...(process.env.TEST_DATABASE_URL
        ? [{ extends: true, test: { name: "postgres", ...databaseTests, env: { WEFT_TEST_DRIVER: "postgres" } } }]
        : []),
    ],
  },
});
