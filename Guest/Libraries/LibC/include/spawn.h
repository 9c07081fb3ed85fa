/* spawn.h — posix_spawn (XSH posix_spawn): fork and execve in one call, with the file actions
 * open, close and dup2 applied in the child first. Attributes are accepted and ignored (no
 * process groups or signal masks yet). */
#ifndef _SPAWN_H
#define _SPAWN_H
#include <sys/types.h>
typedef struct {
    int count, capacity;
    struct sv_spawn_action *actions;
} posix_spawn_file_actions_t;
typedef struct { int flags; } posix_spawnattr_t;
int posix_spawn_file_actions_init(posix_spawn_file_actions_t *actions);
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *actions);
int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *actions, int fd, const char *path, int flags, mode_t mode);
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *actions, int fd);
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *actions, int fd, int target);
int posix_spawnattr_init(posix_spawnattr_t *attributes);
int posix_spawnattr_destroy(posix_spawnattr_t *attributes);
int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                const posix_spawnattr_t *attributes, char *const argv[], char *const envp[]);
int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                 const posix_spawnattr_t *attributes, char *const argv[], char *const envp[]);
#endif
