#include "normalize/normalize.h"
