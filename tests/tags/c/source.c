#include <stdio.h>
#include "list.h"

#define LIST_MAX 64
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* A node of a singly linked list. */
struct node {
    int value;
    struct node *next;
};

typedef struct {
    struct node *head;
    size_t len;
} list_t;

enum color { RED, GREEN };

static int list_push(list_t *list, int value);

/* Appends a value; returns 0 on success. */
static int list_push(list_t *list, int value)
{
    struct node *n = malloc(sizeof(struct node));
    if (n == NULL) {
        return -1;
    }
    n->value = value;
    n->next = list->head;
    list->head = n;
    list->len = MIN(list->len + 1, LIST_MAX);
    return 0;
}

int main(void)
{
    list_t list = {0};
    list_push(&list, RED);
    printf("%zu\n", list.len);
    return 0;
}
