rchar: 62283790
wchar: 2028417
syscr: 53514
syscw: 1542
read_bytes: 622592
write_bytes: 4173824
cancelled_write_bytes: 479232
