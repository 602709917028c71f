// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs-write: write one string to a file with a single write(2) and report
 * the outcome, so that shell checks can assert the errno of a rejected
 * sysfs store.
 *
 *   sysfs-write [--] PATH STRING write STRING as is (no newline added);
 *                                use -- when STRING may start with "-"
 *   sysfs-write -n PATH STRING   append a newline
 *   sysfs-write -r N -c C PATH   write N copies of the character C
 *   sysfs-write -e PATH          a zero-length write
 *   sysfs-write -f FILE PATH     write the contents of FILE
 *
 * Prints exactly one line and exits 0 on success, 1 if open or write
 * failed, 2 on a usage error:
 *   OK <bytes written>
 *   ERR <ERRNO-NAME> <errno>          write(2) failed
 *   OPENERR <ERRNO-NAME> <errno>      open(2) failed
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	int num;
	const char *name;
} names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
	{ ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" }, { EROFS, "EROFS" }, { ERANGE, "ERANGE" },
	{ ENOSYS, "ENOSYS" }, { EOVERFLOW, "EOVERFLOW" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	{ EINTR, "EINTR" }, { ETIMEDOUT, "ETIMEDOUT" },
};

static const char *errname(int e)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].num == e)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: sysfs-write [-n] PATH STRING | -r N -c C PATH | -e PATH | -f FILE PATH\n");
	return 2;
}

int main(int argc, char **argv)
{
	int opt, newline = 0, empty = 0, fd;
	long repeat = -1;
	char fill = 0;
	const char *path, *from = NULL;
	char *buf;
	size_t len;
	ssize_t n;

	while ((opt = getopt(argc, argv, "nr:c:ef:")) != -1) {
		switch (opt) {
		case 'n': newline = 1; break;
		case 'r': repeat = strtol(optarg, NULL, 10); break;
		case 'c': fill = optarg[0]; break;
		case 'e': empty = 1; break;
		case 'f': from = optarg; break;
		default: return usage();
		}
	}
	if (from) {
		FILE *f = fopen(from, "r");

		if (argc - optind != 1 || !f)
			return usage();
		buf = malloc(1 << 20);
		len = buf ? fread(buf, 1, (1 << 20) - 2, f) : 0;
		fclose(f);
	} else if (empty) {
		if (argc - optind != 1)
			return usage();
		buf = strdup("");
		len = 0;
	} else if (repeat >= 0) {
		if (argc - optind != 1 || !fill)
			return usage();
		len = (size_t)repeat;
		buf = malloc(len + 2);
		if (buf)
			memset(buf, fill, len);
	} else {
		if (argc - optind != 2)
			return usage();
		len = strlen(argv[optind + 1]);
		buf = malloc(len + 2);
		if (buf)
			memcpy(buf, argv[optind + 1], len);
	}
	if (!buf) {
		fprintf(stderr, "sysfs-write: out of memory\n");
		return 2;
	}
	if (newline)
		buf[len++] = '\n';
	path = argv[optind];

	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("OPENERR %s %d\n", errname(errno), errno);
		return 1;
	}
	n = write(fd, buf, len);
	if (n < 0) {
		printf("ERR %s %d\n", errname(errno), errno);
		close(fd);
		return 1;
	}
	if (close(fd) < 0) {
		printf("ERR %s %d\n", errname(errno), errno);
		return 1;
	}
	printf("OK %zd\n", n);
	return 0;
}
