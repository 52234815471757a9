package pgstore

// SlowScans counts reads of entries that fell back from the raw binary
// decoding to Scan.
var SlowScans = &slowScans
