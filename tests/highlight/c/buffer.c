#include <stdlib.h>
// <- keyword.directive
//       ^ string.special.path
#include "buffer.h"

#define INITIAL_CAPACITY 64
//      ^ constant
#define MAX(a, b) ((a) > (b) ? (a) : (b))
//      ^ function.macro

/** A growable byte buffer. */
// <- comment.documentation
typedef struct {
// <- keyword.storage.type
//      ^ keyword.storage.type
    char *data;
    // <- type.builtin
    //    ^ variable.other.member
    size_t len, cap;
} buffer_t;
  // <- type

static int buffer_grow(buffer_t *buf, size_t need) {
// <- keyword.storage.modifier
//         ^ function
//                               ^ variable.parameter
    if (buf->len + need <= buf->cap) {
    // <- keyword.control.conditional
    //     ^ operator
        return 0;
        // <- keyword.control.return
        //     ^ constant.numeric
    }
    size_t cap = MAX(buf->cap * 2, INITIAL_CAPACITY);
    //           ^ function.macro
    while (cap < buf->len + need) {
    // <- keyword.control.repeat
        cap *= 2;
    }
    char *data = realloc(buf->data, cap);
    //           ^ function
    if (data == NULL) {
    //          ^ constant.builtin
        return -1;
    }
    buf->data = data;
    buf->cap = cap / sizeof(char);
    //               ^ keyword.operator
    return 0;
}

int buffer_push(buffer_t *buf, char c) {
    if (buffer_grow(buf, 1) != 0) {
        return -1;
    }
    buf->data[buf->len++] = c;
    return '\n' == c;
    //     ^ constant.character
    //      ^ constant.character.escape
}
