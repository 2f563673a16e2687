#include "ingest/formats.h"
