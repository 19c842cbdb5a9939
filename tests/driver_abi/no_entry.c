/* A library that exports no DriverEntry (chimney-cosim must refuse it). */
int chimney_not_a_driver(void) {
  return 0;
}
