#include "detect/engine.h"
