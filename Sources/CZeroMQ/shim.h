// libzmq: sockets, polling, CURVE keys.
#include <zmq.h>
