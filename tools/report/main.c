/* main.c - tlstrace-report: read traces written by libtlstrace.so, print the teardown timeline
 * and the findings (text, --json, --chrome), or compare two traces (--diff).
 * Exit status: 0 no findings (--diff: no difference), 1 findings (differences), 2 usage error or
 * an input that could not be read at all. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

static void usage(FILE *out)
{
	fputs("usage: tlstrace-report [OPTION]... TRACE...\n"
	      "       tlstrace-report --diff TRACE_A[:PID] TRACE_B[:PID]\n"
	      "Read traces written by libtlstrace.so (several are merged) and print each process's\n"
	      "teardown timeline and the findings: use of destroyed thread_locals, crashes, late\n"
	      "construction, teardown-order hazards. A TRACE of - is standard input; pipes and FIFOs\n"
	      "are read to their end.\n"
	      "\n"
	      "  --json            the report as one JSON object on stdout (schema: README.md)\n"
	      "  --chrome FILE     also write Chrome Trace Event JSON (Perfetto, chrome://tracing); - for stdout\n"
	      "  --diff A B        how teardown order differs between two traces (e.g. python3 vs uWSGI);\n"
	      "                    A:PID picks the process to compare\n"
	      "  --pid PID         only this process\n"
	      "  --no-symbols      do not read the binaries: module+offset only\n"
	      "  --frames N        frames shown per backtrace (default 24)\n"
	      "  --all-frames      also show frames inside libtlstrace.so (its trampolines)\n"
	      "  --color[=WHEN]    always, never or auto (default: on a terminal, unless NO_COLOR is set)\n"
	      "  -q, --quiet       no warnings about the input\n"
	      "  -h, --help        this help\n"
	      "  --version         the trace format versions this report reads\n"
	      "\n"
	      "Exit status: 0 no findings, 1 findings (--diff: differences), 2 usage error or\n"
	      "unreadable input.\n",
	      out);
}

static int load(struct report *r, const char **files, int n)
{
	int i;
	memset(r, 0, sizeof *r);
	r->files = files;
	r->nfiles = n;
	for (i = 0; i < n; i++)
		parse_file(r, files[i], i);
	return r->nprocs ? 0 : -1;
}

/* "path:PID" when path itself does not exist */
static const char *split_pid(const char *arg, int *pid)
{
	struct stat st;
	const char *colon = strrchr(arg, ':');
	char *end;
	*pid = 0;
	if (!colon || stat(arg, &st) == 0)
		return arg;
	*pid = (int)strtol(colon + 1, &end, 10);
	if (*end || *pid <= 0) {
		*pid = 0;
		return arg;
	}
	return strndup(arg, (size_t)(colon - arg));
}

int main(int argc, char **argv)
{
	enum { O_CHROME = 256, O_DIFF, O_PID, O_NOSYM, O_FRAMES, O_ALLFRAMES, O_COLOR, O_VERSION, O_JSON };
	static const struct option longopts[] = {
		{"json", no_argument, 0, O_JSON},        {"chrome", required_argument, 0, O_CHROME},
		{"diff", no_argument, 0, O_DIFF},        {"pid", required_argument, 0, O_PID},
		{"no-symbols", no_argument, 0, O_NOSYM}, {"frames", required_argument, 0, O_FRAMES},
		{"all-frames", no_argument, 0, O_ALLFRAMES}, {"color", optional_argument, 0, O_COLOR},
		{"colour", optional_argument, 0, O_COLOR}, {"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},           {"version", no_argument, 0, O_VERSION},
		{0, 0, 0, 0}};
	const char *color = "auto";
	struct report r;
	int c, status;
	char *end;

	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case O_JSON: opt.json = 1; break;
		case O_CHROME: opt.chrome = optarg; break;
		case O_DIFF: opt.diff = 1; break;
		case O_PID:
			opt.pid = (int)strtol(optarg, &end, 10);
			if (*end || opt.pid <= 0) {
				fprintf(stderr, "tlstrace-report: --pid: expected a process id, got '%s'\n", optarg);
				return 2;
			}
			break;
		case O_NOSYM: opt.symbols = 0; break;
		case O_FRAMES:
			opt.max_frames = (int)strtol(optarg, &end, 10);
			if (*end || opt.max_frames <= 0) {
				fprintf(stderr, "tlstrace-report: --frames: expected a positive number, got '%s'\n", optarg);
				return 2;
			}
			break;
		case O_ALLFRAMES: opt.show_shim_frames = 1; break;
		case O_COLOR:
			color = optarg ? optarg : "always";
			if (strcmp(color, "always") && strcmp(color, "never") && strcmp(color, "auto")) {
				fprintf(stderr, "tlstrace-report: --color: expected always, never or auto, got '%s'\n", color);
				return 2;
			}
			break;
		case 'q': opt.quiet = 1; break;
		case 'h': usage(stdout); return 0;
		case O_VERSION:
			printf("tlstrace-report, reads trace format versions %d to %d\n", TLSTRACE_FORMAT_MIN, TLSTRACE_FORMAT_VERSION);
			return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!strcmp(color, "always"))
		opt.color = 1;
	else if (!strcmp(color, "auto"))
		opt.color = isatty(1) && !getenv("NO_COLOR") && !opt.json;
	if (optind >= argc) {
		fputs("tlstrace-report: no trace given\n", stderr);
		usage(stderr);
		return 2;
	}
	sym_init();

	if (opt.diff) {
		struct report rb;
		const char *fa[1], *fb[1];
		int pa, pb;
		if (argc - optind != 2) {
			fputs("tlstrace-report: --diff takes exactly two traces\n", stderr);
			return 2;
		}
		fa[0] = split_pid(argv[optind], &pa);
		fb[0] = split_pid(argv[optind + 1], &pb);
		opt.pid = pa;
		if (load(&r, fa, 1) != 0 || r.unreadable)
			return 2;
		analyze(&r);
		opt.pid = pb;
		if (load(&rb, fb, 1) != 0 || rb.unreadable)
			return 2;
		analyze(&rb);
		/* pick() honours opt.pid per side */
		opt.pid = 0;
		if (pa || pb) {
			int i;
			for (i = 0; pa && i < r.nprocs; i++)
				if (r.procs[i]->pid != pa)
					r.procs[i]->nev = 0;
			for (i = 0; pb && i < rb.nprocs; i++)
				if (rb.procs[i]->pid != pb)
					rb.procs[i]->nev = 0;
		}
		status = render_diff(&r, &rb, stdout);
		sym_finish();
		return status;
	}

	load(&r, (const char **)argv + optind, argc - optind);
	analyze(&r);
	if (opt.json)
		render_json(&r, stdout);
	else
		render_text(&r, stdout);
	if (opt.chrome && render_chrome(&r, opt.chrome) != 0)
		r.unreadable = 1;
	fflush(stdout);
	sym_finish();
	if (r.unreadable)
		return 2;
	return r.nfindings ? 1 : 0;
}
