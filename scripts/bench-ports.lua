-- bench-ports.lua — a CPU-bound Lua benchmark (make bench: the guest's /usr/bin/lua vs the host's
-- build of the same sources): recursive calls, table inserts and sorts, string building and
-- libm calls. Prints a checksum, so the guest's and the host's runs can be compared.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local sum = fib(30)
local t = {}
for i = 1, 300000 do t[i] = (i * 7919) % 100003 end
table.sort(t)
for i = 1, #t, 997 do sum = sum + t[i] end
local parts = {}
for i = 1, 100000 do parts[#parts + 1] = string.format("%d:%x", i, i * 31) end
sum = sum + #table.concat(parts, ",")
local x = 0.0
for i = 1, 2000000 do x = x + math.sin(i * 0.001) * math.sqrt(i) end
print(sum, string.format("%.6e", x))
