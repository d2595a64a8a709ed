/**
 * Every transport a client can dial by name: importing this file registers them all with
 * connect() (connect.ts registers "tcp" and "tls" itself). A new transport adds one import here.
 */
import "./connect.ts";
import "./websocket/register-dialer.ts";
