/* readline/history.h — the subset of GNU history this C library has (LibCPosix/Readline.swift):
 * lines added here are what Up/Down and Ctrl-P/N recall at readline's prompt (in memory only). */
#ifndef _READLINE_HISTORY_H
#define _READLINE_HISTORY_H
void add_history(const char *line);
void using_history(void);
void clear_history(void);
#endif
