/** The suite's name, used in the user agent, deployment payloads and summaries. */
export const SUITE_NAME = 'release-promotion';
/** The suite's version, sent in the user agent. */
export const SUITE_VERSION = '0.1.0';
