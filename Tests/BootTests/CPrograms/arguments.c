/* arguments.c — what a program gets from its command line and environment. getopt, getopt_long and
 * getopt_long_only over many argument vectors: every return value, optind, optarg, optopt, the
 * diagnostics (stderr joined to stdout) and argv after the scan (GNU permutes it). Then environ and
 * main's envp through setenv, putenv, unsetenv and clearenv. The guest's build must print exactly
 * what the host's glibc build prints (CLibraryCoreTests.swift). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int flag_value;

static const struct option long_options[] = {
    {"verbose", no_argument, NULL, 'v'},
    {"version", no_argument, NULL, 'V'},
    {"output", required_argument, NULL, 'o'},
    {"color", optional_argument, NULL, 'c'},
    {"colour", optional_argument, NULL, 'c'},
    {"flag", no_argument, &flag_value, 42},
    {"file", required_argument, NULL, 'f'},
    {"x", no_argument, NULL, 'X'},
    {NULL, 0, NULL, 0},
};

enum mode { SHORT, LONG, LONG_ONLY };

static void run(enum mode mode, const char *optstring, const char *words) {
    char buffer[512];
    char *argv[32];
    int argc = 0;
    strcpy(buffer, words);
    for (char *w = strtok(buffer, " "); w && argc < 31; w = strtok(NULL, " "))
        argv[argc++] = strcmp(w, "''") == 0 ? (char *)"" : w;
    argv[argc] = NULL;
    printf("== %s \"%s\": %s\n", mode == SHORT ? "getopt" : mode == LONG ? "getopt_long" : "getopt_long_only",
           optstring, words);
    fflush(stdout);
    optind = 0;   /* a new scan (glibc) */
    flag_value = 0;
    for (int n = 0; n < 40; n++) {
        int index = -1;
        int c = mode == SHORT ? getopt(argc, argv, optstring)
              : mode == LONG ? getopt_long(argc, argv, optstring, long_options, &index)
              : getopt_long_only(argc, argv, optstring, long_options, &index);
        fflush(stderr);
        if (c == -1) break;
        printf("  ret %d", c);
        if (c > 32 && c < 127) printf(" '%c'", c);
        printf(" optind %d optopt %d", optind, optopt);
        if (optarg) printf(" optarg \"%s\"", optarg);
        if (index >= 0) printf(" index %d", index);
        if (c == 0) printf(" flag %d", flag_value);
        printf("\n");
        fflush(stdout);
    }
    printf("  end optind %d argv:", optind);
    for (int i = 0; i < argc; i++) printf(" [%s]", argv[i]);
    printf("\n");
    fflush(stdout);
}

/* The variables this program set, as environ lists them (the rest differs between host and guest). */
static void show_environ(const char *when) {
    printf("environ %s:", when);
    for (char **e = environ; e && *e; e++)
        if (strncmp(*e, "ARGT_", 5) == 0) printf(" [%s]", *e);
    printf("\n");
}

static void environment(void) {
    setenv("ARGT_ONE", "1", 1);
    setenv("ARGT_TWO", "two words", 1);
    show_environ("after two setenv");
    setenv("ARGT_ONE", "uno", 0);
    show_environ("after setenv without overwrite");
    setenv("ARGT_ONE", "uno", 1);
    show_environ("after setenv with overwrite");
    static char put[] = "ARGT_PUT=from putenv";
    printf("putenv %d\n", putenv(put));
    show_environ("after putenv");
    printf("getenv %s\n", getenv("ARGT_PUT"));
    printf("unsetenv %d\n", unsetenv("ARGT_TWO"));
    show_environ("after unsetenv");
    printf("setenv with '=' %d\n", setenv("ARGT_A=B", "x", 1));
    printf("unsetenv of \"\" %d\n", unsetenv(""));
    printf("clearenv %d\n", clearenv());
    printf("after clearenv: environ %s, getenv %s\n", environ ? "set" : "NULL", getenv("ARGT_ONE") ? "set" : "(null)");
    setenv("ARGT_LAST", "x", 1);
    show_environ("after setenv on an empty environment");
}

int main(int argc, char **argv, char **envp) {
    (void)argc; (void)argv;
    printf("envp is environ: %d\n", envp == environ);
    dup2(1, 2);   /* diagnostics in order with the rest */
    static const char *shorts[] = {"ab:c::", ":ab:c::", "+ab:c::", "-ab:c::", "abc", "a:", ":a:", "W;", "ab:W;"};
    static const char *vectors[] = {
        "prog",
        "prog -a",
        "prog -a -b x",
        "prog -abx",
        "prog -ab x y",
        "prog -b",
        "prog -c",
        "prog -cfoo -c foo",
        "prog x -a y -b z w",
        "prog -a -- -b x",
        "prog x -- -a",
        "prog -z",
        "prog -a -z -b",
        "prog -azb",
        "prog - -a",
        "prog -a -",
        "prog --",
        "prog -:",
        "prog -a x y -c",
        "prog a b c -ab q -- d",
        "prog --verbose",
        "prog --verb",
        "prog --ver",
        "prog --v",
        "prog --output=f1 --output f2",
        "prog --output",
        "prog --out=q x --verbose",
        "prog --color --color=always --col=never",
        "prog --colo",
        "prog --flag",
        "prog --flag=1",
        "prog --nosuch",
        "prog --nosuch=1 -a",
        "prog --f x",
        "prog --fi x",
        "prog -verbose",
        "prog -version",
        "prog -o x -output y",
        "prog -x",
        "prog -ab",
        "prog -fi z",
        "prog -W verbose -Woutput=z -W",
        "prog -Wverbose -Wnosuch",
        "prog '' -a ''",
        "prog -b '' -a",
        "prog x --verbose -- --flag",
    };
    for (unsigned s = 0; s < sizeof shorts / sizeof *shorts; s++)
        for (unsigned v = 0; v < sizeof vectors / sizeof *vectors; v++)
            for (int m = SHORT; m <= LONG_ONLY; m++)
                run((enum mode)m, shorts[s], vectors[v]);

    /* opterr = 0: no diagnostics, same returns */
    opterr = 0;
    run(SHORT, "a:", "prog -z -a");
    run(LONG, "a:", "prog --nosuch --output");
    opterr = 1;
    /* POSIXLY_CORRECT: stop at the first operand */
    setenv("POSIXLY_CORRECT", "1", 1);
    run(SHORT, "ab", "prog -a x -b");
    run(LONG, "ab", "prog --verbose x -b");
    unsetenv("POSIXLY_CORRECT");
    run(SHORT, "ab", "prog -a x -b");
    environment();
    puts("arguments: done");
    return 0;
}
