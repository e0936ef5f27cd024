#ifndef CONFIDE_CLIBPQ_SHIM_H
#define CONFIDE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
