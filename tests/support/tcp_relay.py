"""A TCP relay that connects onwards from another loopback address.

On one machine the browser and the proxy both reach their next hop from 127.0.0.1, so a test
could not tell the candidate's address from the proxy's. Placed between the browser and the
proxy, this relay makes the browser's traffic arrive from ``source_host`` (e.g. 127.0.0.5):
the address the proxy sees, as a remote candidate's would be.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


@contextlib.contextmanager
def tcp_relay(listen_port: int, target_port: int, source_host: str, host: str = "127.0.0.1"):
    """Relay ``host:listen_port`` to ``host:target_port``, connecting from ``source_host``."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    stop = asyncio.Event()
    connections: set[asyncio.Task] = set()

    async def relay(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                host, target_port, local_addr=(source_host, 0)
            )
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, upstream_writer), _pipe(upstream_reader, client_writer))

    def accept(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = loop.create_task(relay(client_reader, client_writer))
        connections.add(task)
        task.add_done_callback(connections.discard)

    async def serve() -> None:
        server = await asyncio.start_server(accept, host, listen_port)
        ready.set()
        await stop.wait()
        server.close()
        for task in list(connections):
            task.cancel()
        await asyncio.gather(*connections, return_exceptions=True)
        await server.wait_closed()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError(f"the relay could not listen on {host}:{listen_port}")
    try:
        yield f"http://{host}:{listen_port}"
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
