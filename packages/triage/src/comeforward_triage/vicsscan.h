/* VICS record scanner (vicsscan.c), registered in the _native module. */
#ifndef COMEFORWARD_VICSSCAN_H
#define COMEFORWARD_VICSSCAN_H
#include <Python.h>
PyObject *vics_scan(PyObject *self, PyObject *args);
size_t vics_state_size(void);
#endif
