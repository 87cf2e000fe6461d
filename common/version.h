/* The harness version, in --version, the reports and their metadata. */
#ifndef VERSION_H
#define VERSION_H

#define HARNESS_VERSION "0.1.0"

#endif
