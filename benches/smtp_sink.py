#!/usr/bin/env python3
"""A counting SMTP sink on loopback for benches/mail: accepts every message, counts them and
their distinct Message-IDs, and writes a JSON summary to the file named by argv[2] whenever
asked with SIGUSR1 and on exit. Usage: smtp_sink.py PORT SUMMARY.json

The listen backlog is large: with asyncio's default of 100, a sender opening a few hundred
connections at once overflows the accept queue, the kernel answers with SYN cookies and then
drops the final ACKs, and the sender is left with connections it thinks are open that wait
for a greeting that never comes."""
import asyncio, json, signal, sys, time

PORT, SUMMARY = int(sys.argv[1]), sys.argv[2]
state = {"messages": 0, "ids": set(), "first": None, "last": None}

def write_summary(*_):
    with open(SUMMARY, "w") as f:
        json.dump({"messages": state["messages"], "distinct": len(state["ids"]),
                   "first": state["first"], "last": state["last"]}, f)

async def session(reader, writer):
    writer.write(b"220 sink ESMTP\r\n")
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            cmd = line.strip().upper()
            if cmd.startswith(b"EHLO"):
                writer.write(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif cmd == b"DATA":
                writer.write(b"354 go\r\n")
                await writer.drain()
                mid = None
                while True:
                    data = await reader.readline()
                    if data == b"":
                        return  # cut off mid-message: not counted
                    if data == b".\r\n":
                        break
                    if mid is None and data.lower().startswith(b"message-id:"):
                        mid = data.split(b":", 1)[1].strip()
                state["messages"] += 1
                state["ids"].add(mid)
                now = time.time()
                state["first"] = state["first"] or now
                state["last"] = now
                writer.write(b"250 queued\r\n")
            elif cmd == b"QUIT":
                writer.write(b"221 bye\r\n")
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass  # a sender that went away, or the sink stopping with connections open
    finally:
        writer.close()

async def main():
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, write_summary)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    server = await asyncio.start_server(session, "127.0.0.1", PORT, backlog=1024)
    async with server:
        await stop
    write_summary()

asyncio.run(main())
