// Umbrella header of pnc_net, the only code of the project that touches sockets.
#pragma once

#include "pnc/net/http_client.hpp"
#include "pnc/net/server.hpp"
#include "pnc/net/tcp_client.hpp"
#include "pnc/net/types.hpp"
#include "pnc/net/ws_accept_queue.hpp"
#include "pnc/net/ws_client.hpp"
#include "pnc/net/ws_frame.hpp"
