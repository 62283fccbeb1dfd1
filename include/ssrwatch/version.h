#pragma once
#define SSR_VERSION "0.1.0"
