/* CASE/UCO File nodes in C (casewrite.c), registered in the _native module. */
#ifndef COMEFORWARD_CASEWRITE_H
#define COMEFORWARD_CASEWRITE_H
#include <Python.h>
PyObject *case_files(PyObject *self, PyObject *args);
int case_files_init(void);
#endif
