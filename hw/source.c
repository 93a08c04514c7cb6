/* source.c: the parts of the sample-source interface shared by every implementation. */
#include "cellsurvey/source.h"

#include <stdlib.h>

void cs_source_close(cs_source *s) {
  if (!s) return;
  s->ops->close(s->self);
  free(s);
}
