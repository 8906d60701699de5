package store

// initialMmapSize is 0 on Windows: there bbolt grows the file itself to the
// size it maps, so a large initial map would make every database that big.
const initialMmapSize = 0
