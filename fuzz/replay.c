/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * replay.c - run files (or every file of folders) through a fuzz
 * target's LLVMFuzzerTestOneInput, for builds without libFuzzer. CTest
 * runs each seed corpus this way on every build.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (fp)
			fclose(fp);
		return 1;
	}
	rewind(fp);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		fclose(fp);
		return 1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, bad = 0, count = 0;
	uint8_t *empty = malloc(1);

	/* The empty input first, as libFuzzer runs it before any seed. */
	if (empty == NULL)
		return 1;
	LLVMFuzzerTestOneInput(empty, 0);
	free(empty);

	for (i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int k, n = scandir(argv[i], &names, NULL, alphasort);
			for (k = 0; k < n; k++) {
				char path[4096];
				if (names[k]->d_name[0] != '.') {
					snprintf(path, sizeof(path), "%s/%s",
					    argv[i], names[k]->d_name);
					bad += run_file(path);
					count++;
				}
				free(names[k]);
			}
			if (n >= 0)
				free(names);
		} else {
			bad += run_file(argv[i]);
			count++;
		}
	}
	printf("replay: %d input(s), %d unreadable\n", count, bad);
	return bad || count == 0;
}
