/** The suite's name, used in the user agent, deployment payloads and summaries. */
export const SUITE_NAME = 'release-promotion';
/** The suite's version, sent in the user agent. */
export const SUITE_VERSION = '1.0.0';
/** Where bugs in the suite are reported. */
export const SUITE_ISSUES_URL = 'https://github.com/octo-org/release-promotion/issues';
