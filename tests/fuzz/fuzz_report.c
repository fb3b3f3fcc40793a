/* fuzz_report.c - libFuzzer target for tlstrace-report: any bytes as a trace, through the parser,
 * the analysis and every renderer (text, JSON, Chrome, diff), with symbols off. Built by
 * `make fuzz-report` (clang, -fsanitize=fuzzer,address,undefined); run briefly by make check
 * (t029) and longer by `make fuzz`. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	opt.symbols = 0;
	opt.quiet = 1;
	devnull = fopen("/dev/null", "w");
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *files[1] = {"fuzz-input"};
	struct report r;
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = 0;
	memset(&r, 0, sizeof r);
	r.files = files;
	r.nfiles = 1;
	report_keep(&r, buf);
	parse_buffer(&r, buf, size, 0);
	analyze(&r);
	render_text(&r, devnull);
	render_json(&r, devnull);
	{
		FILE *chrome = fopen("/dev/null", "w"); /* render_chrome closes it */
		if (chrome)
			render_chrome(&r, chrome, "/dev/null");
	}
	render_diff(&r, &r, devnull);
	report_free(&r);
	return 0;
}
