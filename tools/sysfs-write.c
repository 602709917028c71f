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
 *   sysfs-write -F PATH FILE...  for each FILE: read PATH, write FILE's
 *                                contents to it, read it again, and put
 *                                the old value back if it changed; one
 *                                line per FILE: FILE|RESULT|OLD|NOW
 *                                (RESULT as below, values without their
 *                                newline), for fuzzing without a process
 *                                per write
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

/* Reads the first line of @path into @buf (newline dropped); "?" on error. */
static void read_value(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0) {
		snprintf(buf, size, "?");
		return;
	}
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/*
 * One write(2) of @len bytes of @buf to @path; its outcome, as printed
 * (without the newline), in @res. Returns 0 when it was "OK".
 */
static int write_once(const char *path, const char *buf, size_t len,
		      char *res, size_t size)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		snprintf(res, size, "OPENERR %s %d", errname(errno), errno);
		return 1;
	}
	n = write(fd, buf, len);
	if (n < 0) {
		snprintf(res, size, "ERR %s %d", errname(errno), errno);
		close(fd);
		return 1;
	}
	if (close(fd) < 0) {
		snprintf(res, size, "ERR %s %d", errname(errno), errno);
		return 1;
	}
	snprintf(res, size, "OK %zd", n);
	return 0;
}

static int fuzz(const char *path, char **files, int nr)
{
	static char buf[1 << 16];
	char old[4096], now[4096], res[64];

	for (int i = 0; i < nr; i++) {
		FILE *f = fopen(files[i], "r");
		size_t len;

		if (!f) {
			fprintf(stderr, "sysfs-write: cannot open %s\n", files[i]);
			return 2;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		read_value(path, old, sizeof(old));
		write_once(path, buf, len, res, sizeof(res));
		read_value(path, now, sizeof(now));
		printf("%s|%s|%s|%s\n", files[i], res, old, now);
		if (strcmp(old, now)) {
			char back[4097];
			int n = snprintf(back, sizeof(back), "%s\n", old);

			write_once(path, back, n, res, sizeof(res));
		}
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: sysfs-write [-n] PATH STRING | -r N -c C PATH | -e PATH | -f FILE PATH | -F PATH FILE...\n");
	return 2;
}

int main(int argc, char **argv)
{
	int opt, newline = 0, empty = 0, rc;
	long repeat = -1;
	char fill = 0;
	const char *path, *from = NULL;
	char *buf;
	size_t len;
	char res[64];

	if (argc >= 3 && !strcmp(argv[1], "-F"))
		return fuzz(argv[2], argv + 3, argc - 3);
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

	rc = write_once(path, buf, len, res, sizeof(res));
	printf("%s\n", res);
	return rc;
}
