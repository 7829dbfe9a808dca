// Exit codes of scripts/record-loopback.ts that the tests act on.

/** Root, a tool or IPv6 on lo is missing: tests skip outside CI and fail in CI. Any other failure is 1. */
export const EXIT_MISSING_PREREQUISITES = 3;
