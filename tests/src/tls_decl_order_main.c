/* tls_decl_order_main.c - calls touch() of libtls_decl_order.so (t375) and returns. */
void touch(void);

int main(void)
{
	touch();
	return 0;
}
