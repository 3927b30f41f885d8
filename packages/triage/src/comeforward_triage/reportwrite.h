/* Report lines in C (reportwrite.c): CASE/UCO File nodes and DFXML fileobjects, registered
 * in the _native module. */
#ifndef COMEFORWARD_REPORTWRITE_H
#define COMEFORWARD_REPORTWRITE_H
#include <Python.h>
PyObject *case_files(PyObject *self, PyObject *args);
PyObject *dfxml_files(PyObject *self, PyObject *args);
int reportwrite_init(void);
#endif
