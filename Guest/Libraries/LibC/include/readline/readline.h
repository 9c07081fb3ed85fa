/* readline/readline.h — the subset of GNU readline's interface this C library has (LibCPosix/
 * Readline.swift): readline() with line editing and history on a terminal (the shell's line
 * editor), and GNU readline's echo of prompt and line when input is not a terminal. */
#ifndef _READLINE_READLINE_H
#define _READLINE_READLINE_H
/* The program's name, for GNU readline's inputrc conditionals; kept, not read (no inputrc here). */
extern const char *rl_readline_name;
/* Shows prompt, reads a line (without its newline) into memory from malloc; NULL at end of input. */
char *readline(const char *prompt);
#endif
