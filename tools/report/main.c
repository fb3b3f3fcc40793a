/* main.c - tlstrace-report: read traces written by libtlstrace.so, print the teardown timeline
 * and the findings (text, --json, --chrome), or compare two traces (--diff).
 * Exit status: 0 no findings (--diff: no difference), 1 findings (differences), 2 usage error or
 * an input that could not be read at all. */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <getopt.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

/* for a bad command line: the usage lines and where the rest is (getopt_long said what was wrong) */
static void usage_short(void)
{
	fputs("usage: tlstrace-report [OPTION]... TRACE...\n"
	      "       tlstrace-report --diff TRACE_A[:PID] TRACE_B[:PID]\n"
	      "Try 'tlstrace-report --help' for more information.\n", stderr);
}

static void usage(FILE *out)
{
	fputs("usage: tlstrace-report [OPTION]... TRACE...\n"
	      "       tlstrace-report --diff TRACE_A[:PID] TRACE_B[:PID]\n"
	      "Read traces written by libtlstrace.so (several are merged; a directory stands for the\n"
	      "files in it) and print the verdict, the groups of findings, each process's\n"
	      "teardown timeline and the findings: use of destroyed thread_locals, crashes, late\n"
	      "construction, teardown-order hazards, hangs, processes killed or unfinished, signal\n"
	      "handlers replaced or ignored. A TRACE of - is standard input; pipes and FIFOs\n"
	      "are read to their end.\n"
	      "\n"
	      "  --json            the report as one JSON object on stdout (schema: README.md)\n"
	      "  --chrome FILE     also write Chrome Trace Event JSON (Perfetto, chrome://tracing); with -\n"
	      "                    it goes to stdout alone (no text report; not with --json)\n"
	      "  --diff A B        how teardown order differs between two traces (e.g. python3 vs uWSGI);\n"
	      "                    A:PID picks the process to compare\n"
	      "  --pid PID         only this process\n"
	      "  --no-symbols      do not read the binaries: module+offset only\n"
	      "  --frames N        frames shown per backtrace (default 24)\n"
	      "  --all-frames      also show frames inside libtlstrace.so (its trampolines)\n"
	      "  --color[=WHEN]    always, never or auto (default: on a terminal, unless NO_COLOR is set)\n"
	      "  -q, --quiet       no warnings about the input\n"
	      "  -h, --help        this help\n"
	      "  --colour[=WHEN]   the same as --color\n"
	      "  --version         the release and the trace format it reads\n"
	      "\n"
	      "Exit status: 0 no findings, 1 findings (--diff: differences), 2 usage error or\n"
	      "unreadable input.\n",
	      out);
}

/* A file's identity for copies (copies): a hash of its first line (a tlstrace header: pid, tid,
 * the time in ns and the program, which no other process's trace shares) and its size (bytes);
 * regular files only (a pipe or FIFO is read once, as it comes), 0 for h where the first line is
 * no whole header. Kept small: a fleet directory has one file per process (t335: 17,000). */
struct trace_id {
	uint64_t h;
	off_t size;
	int file;
};

static void trace_id_of(const char *path, struct trace_id *id)
{
	struct stat st;
	char first[512], *nl;
	int fd;
	ssize_t n;
	id->h = 0;
	id->size = 0;
	if (!strcmp(path, "-") || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return;
	n = read(fd, first, sizeof first - 1);
	close(fd);
	if (n <= 0)
		return;
	first[n] = 0;
	if (!(nl = memchr(first, '\n', (size_t)n)) || !strstr(first, " tlstrace "))
		return;
	id->h = str_hash(first, (size_t)(nl - first)) | 1; /* (never 0: 0 is "none") */
	id->size = st.st_size;
}

static int by_hash(const void *a, const void *b)
{
	const struct trace_id *x = a, *y = b;
	return x->h < y->h ? -1 : x->h > y->h ? 1 : x->file - y->file;
}

/* For each of the n files, the index of the file it is a copy of (the same file named twice, or a
 * copy: the same first line, the same process's trace, copied or rotated), or -1. Of a set of
 * copies the biggest is read (a copy taken later holds more), the first of them on a tie.
 * malloc'd (n ints). */
static int *copies(const char **files, int n)
{
	struct trace_id *id = xmalloc((size_t)(n ? n : 1) * sizeof *id);
	int *of = xmalloc((size_t)(n ? n : 1) * sizeof *of), i, j, k;
	for (i = 0; i < n; i++)
		trace_id_of(files[i], &id[i]), id[i].file = i, of[i] = -1;
	qsort(id, (size_t)n, sizeof *id, by_hash);
	for (i = 0; i < n; i = j) {
		int keep = i;
		for (j = i + 1; j < n && id[j].h == id[i].h; j++)
			if (id[j].size > id[keep].size)
				keep = j;
		for (k = i; id[i].h && k < j; k++)
			if (k != keep)
				of[id[k].file] = id[keep].file;
	}
	free(id);
	return of;
}

/* Parse the n files; in_dir (NULL: none) marks those that stand in for a directory named on the
 * command line. Such a file that starts no process (not a trace, empty, unreadable) is skipped
 * with a warning and does not make the input unreadable; when no file named or found is a trace,
 * r->unreadable is set. 0 if some process was read, else -1. */
static int load(struct report *r, const char **files, const char *in_dir, int n)
{
	int i, k = 0, *index = xmalloc((size_t)(n ? n : 1) * sizeof *index), *copy_of = copies(files, n);
	memset(r, 0, sizeof *r);
	r->files = files;
	r->nfiles = n;
	for (i = 0; i < n; i++) {
		int before = r->unreadable, nprocs = r->nprocs;
		index[i] = k++;
		if (copy_of[i] >= 0) { /* (FRESH17: a trace given twice was counted twice) */
			warnf(r, i, 0, "skipped: %s as %s (%s), which is read", n > 1 && !strcmp(files[i], files[copy_of[i]]) ? "the same file" : "the same trace",
			      files[copy_of[i]], copy_of[i] < i ? "given before it" : "a bigger copy");
			index[i] = -1;
			k--;
			continue;
		}
		if (parse_file(r, files[i], i) != 0 && in_dir && in_dir[i] && r->nprocs == nprocs) {
			warnf(r, i, 0, "skipped: not a trace");
			r->unreadable = before;
			index[i] = -1;
			k--;
		}
	}
	if (r->nprocs < r->capprocs) { /* (the array doubled while reading: its unused end back) */
		r->procs = xrealloc(r->procs, (size_t)r->nprocs * sizeof *r->procs);
		r->capprocs = r->nprocs;
	}
	/* the skipped files are left out of the list the report counts and names */
	if (r->nprocs && k < n) {
		for (i = 0; i < n; i++)
			if (index[i] >= 0)
				files[index[i]] = files[i];
		int m = 0;
		for (i = 0; i < r->nfile_start; i++) /* (a skipped file has no process: none starts there) */
			if (index[i] >= 0)
				r->file_start[m = index[i]] = r->file_start[i], m++;
		r->nfile_start = m;
		r->nfiles = k;
	}
	free(index);
	free(copy_of);
	if (!r->nprocs)
		r->unreadable = 1;
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

static int regular_entry(const struct dirent *d) { return d->d_name[0] != '.'; }

/* The traces named: each directory stands for the regular files in it, in name order (a fleet's
 * traces collected in one place); an empty one stays itself and is refused when read. The list
 * is allocated and lives until exit; *out_in_dir (allocated, same length) is 1 for a file found
 * in a directory, 0 for a name given. */
static const char **expand_dirs(char **args, int n, int *out_n, char **out_in_dir)
{
	const char **v = NULL;
	char *in_dir = NULL;
	int i, k = 0, cap = 0;
	for (i = 0; i < n; i++) {
		struct stat st;
		struct dirent **ents = NULL;
		int m = 0, j, added = 0;
		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode))
			m = scandir(args[i], &ents, regular_entry, alphasort);
		for (j = 0; j < m; j++) {
			char *path = xasprintf("%s/%s", args[i], ents[j]->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				if (k + 1 > cap) {
					v = xrealloc(v, (size_t)(cap = 2 * cap + 8) * sizeof *v);
					in_dir = xrealloc(in_dir, (size_t)cap);
				}
				in_dir[k] = 1;
				v[k++] = path;
				added++;
			} else {
				free(path);
			}
			free(ents[j]);
		}
		free(ents);
		if (!added) {
			if (k + 1 > cap) {
				v = xrealloc(v, (size_t)(cap = 2 * cap + 8) * sizeof *v);
				in_dir = xrealloc(in_dir, (size_t)cap);
			}
			in_dir[k] = 0;
			v[k++] = args[i];
		}
	}
	*out_n = k;
	*out_in_dir = in_dir;
	return v;
}

/* 1 if pid is 0 (all) or a process of r; else says so on stderr and returns 0 */
static int has_pid(const struct report *r, int pid, const char *file)
{
	int i;
	for (i = 0; pid && i < r->nprocs; i++)
		if (r->procs[i]->pid == pid)
			return 1;
	if (pid)
		fprintf(stderr, "tlstrace-report: process %d is not in %s%s\n", pid, r->nfiles == 1 ? "" : "the traces given, e.g. ",
			file);
	return !pid;
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
	FILE *chrome = NULL;
	int c, status;
	char *end;

	/* blocks of 128 KB or more (the pid map, the index of lines read, arrays made to size) from
	 * their own mappings, always: glibc would raise this bound to a freed block's size, and
	 * blocks freed at the end of a file (the pid map) would then stay in the heap, part of the
	 * peak (1-2 MB of 60 on 300000 processes; docs/report-memory.md) */
	mallopt(M_MMAP_THRESHOLD, 128 << 10);
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
			printf("tlstrace-report %s (trace format %d)\n", TLSTRACE_VERSION, TLSTRACE_FORMAT_VERSION);
			return 0;
		default: usage_short(); return 2;
		}
	}
	if (getenv("TLSTRACE_WRAPPED") && /* (set by tools/tlstrace.in for the report it runs) */
	    sscanf(getenv("TLSTRACE_WRAPPED"), "%d %d", &opt.wrapped_pid, &opt.wrapped_status) != 2)
		opt.wrapped_pid = 0;
	if (!strcmp(color, "always"))
		opt.color = 1;
	else if (!strcmp(color, "auto"))
		opt.color = isatty(1) && !getenv("NO_COLOR") && !opt.json;
	if (opt.json && opt.chrome && !strcmp(opt.chrome, "-")) {
		fputs("tlstrace-report: --json and --chrome - would both write to stdout: give --chrome a file\n", stderr);
		return 2;
	}
	if (optind >= argc) {
		fputs("tlstrace-report: no trace given\n", stderr);
		usage_short();
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
		if (load(&r, fa, NULL, 1) != 0 || r.unreadable || !has_pid(&r, pa, fa[0]))
			return 2;
		analyze(&r);
		opt.pid = pb;
		if (load(&rb, fb, NULL, 1) != 0 || rb.unreadable || !has_pid(&rb, pb, fb[0]))
			return 2;
		analyze(&rb);
		/* pick() honours opt.pid per side */
		opt.pid = 0;
		if (pa || pb) {
			int i;
			for (i = 0; pa && i < r.nprocs; i++)
				if (r.procs[i]->pid != pa)
					proc_hide_events(r.procs[i]);
			for (i = 0; pb && i < rb.nprocs; i++)
				if (rb.procs[i]->pid != pb)
					proc_hide_events(rb.procs[i]);
		}
		status = render_diff(&r, &rb, stdout);
		sym_finish();
		return status;
	}

	{
		int nf;
		char *in_dir;
		const char **files = expand_dirs(argv + optind, argc - optind, &nf, &in_dir);
		load(&r, files, in_dir, nf);
	}
	if (r.unreadable && !r.nprocs) /* nothing on stdout: the messages said which input */
		return 2;
	if (!has_pid(&r, opt.pid, argv[optind]))
		return 2;
	/* every output is opened before anything is written: an unwritable --chrome file ends the run
	 * with exit 2 and nothing on stdout */
	if (opt.chrome && !(chrome = strcmp(opt.chrome, "-") ? fopen(opt.chrome, "w") : stdout)) {
		fprintf(stderr, "tlstrace-report: cannot write %s: %s\n", opt.chrome, strerror(errno));
		return 2;
	}
	analyze(&r);
	if (opt.json)
		render_json(&r, stdout);
	else if (!opt.chrome || strcmp(opt.chrome, "-"))
		render_text(&r, stdout);
	if (opt.chrome && render_chrome(&r, chrome, opt.chrome) != 0)
		r.unreadable = 1;
	fflush(stdout);
	sym_finish();
	if (r.unreadable)
		return 2;
	return r.nfindings ? 1 : 0;
}
