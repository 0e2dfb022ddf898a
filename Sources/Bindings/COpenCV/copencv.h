// OpenCV 4 found through pkg-config (its include folder differs between Debian, Homebrew and other
// systems). Nothing is declared here: the C++ shim includes OpenCV's own headers, and this module
// only carries pkg-config's compiler and linker flags to it.
