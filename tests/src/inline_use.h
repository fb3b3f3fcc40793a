/* inline_use.h - a header function that the compiler inlines into its caller (t104): a read
 * through a pointer that its caller passes as NULL, so the fault is in the inlined code. */
static inline __attribute__((always_inline)) int read_slot(const int *slot)
{
	int v = *slot;
	return v + 1;
}
