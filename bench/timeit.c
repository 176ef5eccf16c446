/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * timeit.c - run one command and print its wall time and peak RSS, for
 * bench/run. /usr/bin/time counts in 10 ms steps, and a clock read by
 * `date` around it also counts the start of `date` and of time(1)
 * (a millisecond or two, the same for every tool, which shrinks the
 * ratio of a 50 ms run to an 80 ms one). Here the clock is read just
 * before fork() and just after wait4() returns.
 *
 *   timeit OUT ERR CMD [ARG...]
 *
 * CMD's standard output goes to the file OUT, its standard error to ERR.
 * Prints "SECONDS MAXRSS_KB" (seconds to the microsecond) and exits with
 * CMD's status, or 127 when it could not be run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
open_out(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		fprintf(stderr, "timeit: %s: %s\n", path, strerror(errno));
	return fd;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int out, err, status;
	pid_t pid;

	if (argc < 4) {
		fprintf(stderr, "usage: timeit OUT ERR CMD [ARG...]\n");
		return 2;
	}
	if ((out = open_out(argv[1])) < 0 || (err = open_out(argv[2])) < 0)
		return 127;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "timeit: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		if (dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
			_exit(127);
		close(out);
		close(err);
		execvp(argv[3], argv + 3);
		dprintf(STDERR_FILENO, "timeit: %s: %s\n", argv[3],
		    strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "timeit: wait: %s\n", strerror(errno));
			return 127;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.6f %ld\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_maxrss);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
