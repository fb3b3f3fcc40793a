/* ctor_main.c - links ctor_lib.so; main just reads its value. */
#include <stdio.h>
int ctor_lib_value(void);
int main(void)
{
	printf("main %d\n", ctor_lib_value());
	return 0;
}
