// SPDX-License-Identifier: GPL-2.0
/*
 * insmod-nth: load a module while fault injection fails the Nth
 * allocation of the loading task (/proc/thread-self/fail-nth, honoured by
 * failslab and fail_page_alloc once enabled in debugfs).
 *
 *   insmod-nth N MODULE [PARAMS]
 *
 * Prints "INSMODNTH n=N rc=R errno=E injected=yes|no left=L": rc is
 * finit_module()'s result, injected says whether the Nth fault point was
 * reached (and so failed) during the load, left how many fault points
 * were still to go (N minus the points the load passed, when it did not
 * reach the Nth). N = 0 loads with no injection.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[32];
	int fd, nth, rc, err;
	long left;

	if (argc < 3) {
		fprintf(stderr, "usage: insmod-nth N MODULE [PARAMS]\n");
		return 2;
	}
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}
	nth = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth < 0) {
		perror("fail-nth");
		return 2;
	}
	snprintf(buf, sizeof(buf), "%s", argv[1]);
	if (atoi(argv[1]) && write(nth, buf, strlen(buf)) < 0) {
		perror("write fail-nth");
		return 2;
	}
	rc = syscall(SYS_finit_module, fd, argc > 3 ? argv[3] : "", 0);
	err = rc ? errno : 0;
	memset(buf, 0, sizeof(buf));
	left = pread(nth, buf, sizeof(buf) - 1, 0) > 0 ? atol(buf) : -1;
	if (write(nth, "0", 1) < 0)
		perror("reset fail-nth");
	printf("INSMODNTH n=%s rc=%d errno=%d injected=%s left=%ld\n", argv[1],
	       rc, err, atoi(argv[1]) && left == 0 ? "yes" : "no", left);
	return 0;
}
