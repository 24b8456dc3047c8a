"use strict";
// Loaded first when Stryker runs the tests (stryker.config.json): each mutant that the fuzz test
// reaches runs it again, so it tries fewer random cases there (still more than its special ones).
process.env.FUZZ_RUNS ??= "300";
