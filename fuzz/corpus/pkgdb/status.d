Package: tzdata
Version: 2024a-0+deb12u1
Architecture: all
