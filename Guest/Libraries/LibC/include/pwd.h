/* pwd.h — the user database (XBD <pwd.h>; glibc's struct passwd layout). Every process runs as
 * root (unistd.h: getuid), the system's only account, so the database has one entry: root, uid
 * and gid 0, home "/", shell "/bin/sh" (there is no /etc/passwd). Swift: LibCPosix/Users.swift. */
#ifndef _PWD_H
#define _PWD_H
#include <sys/types.h>
struct passwd {
    char *pw_name;
    char *pw_passwd;
    uid_t pw_uid;
    gid_t pw_gid;
    char *pw_gecos;
    char *pw_dir;
    char *pw_shell;
};
struct passwd *getpwuid(uid_t uid);
struct passwd *getpwnam(const char *name);
#endif
