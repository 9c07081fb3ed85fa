/* getopt.h — GNU's long options (getopt_long, getopt_long_only) beside POSIX getopt
 * (LibCPosix/Getopt.swift: glibc's behaviour and diagnostics). */
#ifndef _GETOPT_H
#define _GETOPT_H
#include <unistd.h>

struct option {
    const char *name;
    /* no_argument, required_argument or optional_argument */
    int has_arg;
    /* non-NULL: getopt_long stores val here and returns 0 */
    int *flag;
    int val;
};
#define no_argument       0
#define required_argument 1
#define optional_argument 2

int getopt_long(int argc, char *const argv[], const char *optstring, const struct option *longopts, int *longindex);
int getopt_long_only(int argc, char *const argv[], const char *optstring, const struct option *longopts, int *longindex);
#endif
